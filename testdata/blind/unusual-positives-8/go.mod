module example.com/up8

go 1.24
