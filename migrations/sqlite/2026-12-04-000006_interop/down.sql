DROP TABLE consumptions;
DROP TABLE implementations;
DROP TABLE contract_files;
DROP TABLE contract_versions;
DROP TABLE contracts;
