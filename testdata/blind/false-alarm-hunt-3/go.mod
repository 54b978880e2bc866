module example.com/falsealarm3

go 1.22
