module example.com/up10

go 1.22
