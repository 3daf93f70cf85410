package io.custops.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import io.custops.local.infra.Postgres;

/** Reads a service's own database in the local stack, for what no API shows (a test's view behind the services). */
final class StackSql {
    private StackSql() {
    }

    /** The single number {@code query} returns in {@code database} with {@code id} as its one parameter. */
    static long count(String database, String query, UUID id) throws SQLException {
        Postgres postgres = Postgres.local();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database), Postgres.USER, Postgres.PASSWORD);
                var statement = connection.prepareStatement(query)) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
