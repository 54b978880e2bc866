module example.com/up23

go 1.22
