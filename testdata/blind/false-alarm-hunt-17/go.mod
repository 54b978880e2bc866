module example.com/fah17

go 1.24
