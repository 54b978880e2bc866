module example.com/databaselayer

go 1.22
