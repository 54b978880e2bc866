module example.com/up18

go 1.21
