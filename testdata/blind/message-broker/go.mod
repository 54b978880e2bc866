module example.com/messagebroker

go 1.22
