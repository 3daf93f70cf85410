package io.custops.local.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.custops.local.infra.Postgres;

/** Plain JDBC against the service's test database, for tests that check or set up what the API does not show. */
public final class TestSql {
    private TestSql() {
    }

    /** The first column of the first row as text; null when there is no row. */
    public static String value(String query, Object... params) {
        try (Connection c = connect(); PreparedStatement s = prepare(c, query, params); ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    /** Runs an update; returns the rows it changed. */
    public static int update(String query, Object... params) {
        try (Connection c = connect(); PreparedStatement s = prepare(c, query, params)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), Postgres.USER, Postgres.PASSWORD);
    }

    private static PreparedStatement prepare(Connection c, String query, Object... params) throws SQLException {
        PreparedStatement s = c.prepareStatement(query);
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
        return s;
    }
}
