module example.com/featurestore

go 1.23
