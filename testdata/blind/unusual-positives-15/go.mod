module example.com/up15

go 1.21
