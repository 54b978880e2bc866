module example.com/edgehub

go 1.21
