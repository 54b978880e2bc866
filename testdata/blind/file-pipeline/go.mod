module example.com/filepipeline

go 1.23
