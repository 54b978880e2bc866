module example.com/up17

go 1.23
