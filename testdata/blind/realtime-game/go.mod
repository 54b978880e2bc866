module example.com/realtimegame

go 1.21
