module example.com/dnsresolver

go 1.24
