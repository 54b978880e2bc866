module example.com/modernapis

go 1.25
