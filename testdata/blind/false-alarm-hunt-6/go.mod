module example.com/falsealarm6

go 1.22
