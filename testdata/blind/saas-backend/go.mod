module example.com/saas

go 1.24
