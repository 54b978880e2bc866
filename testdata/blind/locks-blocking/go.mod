module example.com/blindc

go 1.22
