module example.com/githost

go 1.22
