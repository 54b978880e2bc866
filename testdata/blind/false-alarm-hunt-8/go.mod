module example.com/falsealarm8

go 1.24
