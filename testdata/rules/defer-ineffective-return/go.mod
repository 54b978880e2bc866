module example.com/deferineffectivereturn

go 1.22
