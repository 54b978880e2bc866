module example.com/legacystyle

go 1.16
