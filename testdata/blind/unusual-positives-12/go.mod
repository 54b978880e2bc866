module example.com/up12

go 1.21
