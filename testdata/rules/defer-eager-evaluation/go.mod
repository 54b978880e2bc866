module example.com/defereagerevaluation

go 1.22
