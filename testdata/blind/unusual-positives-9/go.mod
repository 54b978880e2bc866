module example.com/up9

go 1.23
