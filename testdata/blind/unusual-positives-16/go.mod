module example.com/up16

go 1.22
