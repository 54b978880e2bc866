module example.com/falsealarm9

go 1.23
