module example.com/blindf

go 1.22
