module example.com/defercallchain

go 1.22
