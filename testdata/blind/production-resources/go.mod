module example.com/blinde

go 1.22
