module example.com/up6

go 1.25
