module example.com/fah12

go 1.25
