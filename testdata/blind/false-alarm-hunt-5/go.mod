module example.com/falsealarm5

go 1.22
