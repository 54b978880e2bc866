module example.com/up5

go 1.24
