-- Runs once, when the postgres service initialises an empty data volume
-- (/docker-entrypoint-initdb.d). Our business data and the engine's tables live in separate databases.
CREATE DATABASE hosotrinh;
CREATE DATABASE hosotrinh_engine;
