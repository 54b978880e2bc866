module example.com/lockleaked

go 1.22
