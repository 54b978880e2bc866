module example.com/crt

go 1.22
