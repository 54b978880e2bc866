module example.com/falsealarm4

go 1.22
