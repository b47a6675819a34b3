"""Energy-saving projects (节能项目): the register, quantities done, estimated (IPMVP Option A) and
measured (Option C) savings, energy-performance contracts (GB/T 24915) and subsidies."""
