module example.com/recoverineffective

go 1.22
