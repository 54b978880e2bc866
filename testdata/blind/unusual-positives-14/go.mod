module example.com/up14

go 1.22
