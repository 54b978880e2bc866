module example.com/gamesrv

go 1.20
