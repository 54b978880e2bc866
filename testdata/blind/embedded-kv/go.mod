module example.com/ekv

go 1.20
