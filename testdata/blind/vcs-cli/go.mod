module example.com/vcscli

go 1.20
