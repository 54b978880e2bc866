module example.com/mediatranscoder

go 1.23
