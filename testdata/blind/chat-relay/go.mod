module example.com/chatrelay

go 1.20
