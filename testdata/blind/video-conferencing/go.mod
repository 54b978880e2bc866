module example.com/confsfu

go 1.21
