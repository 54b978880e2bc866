module example.com/falsealarm2

go 1.22
