module example.com/falsealarm7

go 1.22
