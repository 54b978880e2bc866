module example.com/up19

go 1.22
