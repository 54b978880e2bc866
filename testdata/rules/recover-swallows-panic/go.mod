module example.com/recoverswallowspanic

go 1.22
