'use strict';

/**
 * Sign-in for the dashboard: OpenID Connect Authorization Code with PKCE (S256) against Keycloak, as the public
 * client named by config.json. Only the state, nonce and code verifier cross the redirect (sessionStorage); the
 * tokens stay in memory, so a reload signs in again, silently while the Keycloak session lasts.
 */
const Auth = (() => {
  const PENDING = 'custops.dashboard.signin';
  const ROLES = ['admin', 'marketer', 'analyst'];
  let settings = null;
  let tokens = null;
  let user = null;
  let refreshTimer = null;
  let refreshing = null;

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function base64url(bytes) {
    let s = '';
    bytes.forEach(b => { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function random(bytes) {
    const a = new Uint8Array(bytes);
    crypto.getRandomValues(a);
    return base64url(a);
  }

  async function s256(verifier) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    return base64url(new Uint8Array(digest));
  }

  /** A JWT's claims, for display and the role check only: the APIs verify the token, not this page. */
  function claims(jwt) {
    try {
      const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const bytes = Uint8Array.from(atob(part + '==='.slice((part.length + 3) % 4)), c => c.charCodeAt(0));
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      return {};
    }
  }

  function endpoint(name) {
    return settings.issuer + '/protocol/openid-connect/' + name;
  }

  /** The page's own address without query or fragment: the redirect URI Keycloak sends the code back to. */
  function redirectUri() {
    return location.origin + location.pathname;
  }

  async function login() {
    const state = random(16);
    const nonce = random(16);
    const verifier = random(48);
    sessionStorage.setItem(PENDING, JSON.stringify({ state, nonce, verifier, redirectUri: redirectUri(), hash: location.hash }));
    const url = new URL(endpoint('auth'));
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: settings.clientId,
      redirect_uri: redirectUri(),
      scope: 'openid profile',
      state,
      nonce,
      code_challenge: await s256(verifier),
      code_challenge_method: 'S256',
    }).toString();
    location.assign(url.toString());
    return new Promise(() => {}); // the page is leaving
  }

  async function tokenRequest(form) {
    const response = await fetch(endpoint('token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ client_id: settings.clientId, ...form }).toString(),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.access_token) {
      throw new ApiError(response.status, body.error_description || body.error || 'the sign-in service refused the request');
    }
    accept(body);
  }

  function accept(body) {
    tokens = { access: body.access_token, refresh: body.refresh_token || (tokens && tokens.refresh), id: body.id_token || (tokens && tokens.id) };
    const access = claims(tokens.access);
    const id = tokens.id ? claims(tokens.id) : {};
    const roles = (access.realm_access && access.realm_access.roles) || [];
    user = {
      name: id.name || access.name || id.preferred_username || access.preferred_username || 'signed in',
      username: id.preferred_username || access.preferred_username || '',
      roles,
      allowed: roles.some(r => ROLES.includes(r)),
    };
    clearTimeout(refreshTimer);
    // refresh a little before the access token expires (expires_in is in seconds)
    const lifetime = Number(body.expires_in) || 300;
    refreshTimer = setTimeout(() => refresh().catch(() => login()), Math.max(5, lifetime - 30) * 1000);
  }

  function refresh() {
    if (!refreshing) {
      refreshing = (tokens && tokens.refresh
        ? tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh })
        : Promise.reject(new ApiError(401, 'no refresh token')))
        .finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  /** Finishes a sign-in that Keycloak redirected back with ?code&state (or ?error). */
  async function callback(params) {
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    sessionStorage.removeItem(PENDING);
    // the code is single-use and must not stay in the address bar or the history
    history.replaceState(null, '', redirectUri() + ((pending && pending.hash) || ''));
    if (params.has('error')) {
      throw new ApiError(401, params.get('error_description') || params.get('error'));
    }
    if (!pending || pending.state !== params.get('state')) {
      throw new ApiError(401, 'the sign-in response does not match this browser\'s request (state); sign in again');
    }
    await tokenRequest({ grant_type: 'authorization_code', code: params.get('code'), code_verifier: pending.verifier, redirect_uri: pending.redirectUri });
    if (tokens.id && claims(tokens.id).nonce !== pending.nonce) {
      tokens = null;
      throw new ApiError(401, 'the ID token does not carry this sign-in\'s nonce; sign in again');
    }
  }

  /**
   * Signs in (redirecting to Keycloak when there is no code to redeem) and resolves with the user; resolves
   * with null when the user has just signed out and has not asked to sign in again.
   */
  async function start() {
    const response = await fetch('config.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new ApiError(response.status, 'the dashboard\'s sign-in settings are not available');
    }
    settings = await response.json();
    const params = new URLSearchParams(location.search);
    if (params.has('code') || params.has('error')) {
      await callback(params);
      return user;
    }
    if (params.has('signed-out')) {
      history.replaceState(null, '', redirectUri());
      return null;
    }
    return login();
  }

  /** GET of an API with the bearer token: a 401 refreshes (or signs in again) and retries once. JSON, or text for another type. */
  async function api(path, accept = 'application/json') {
    const send = () => fetch(path, { headers: { Authorization: 'Bearer ' + tokens.access, Accept: accept } });
    let response = await send();
    if (response.status === 401) {
      try {
        await refresh();
      } catch (e) {
        return login();
      }
      response = await send();
      if (response.status === 401) {
        return login();
      }
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new ApiError(response.status, response.status === 403
        ? 'your account may not read this (it needs the analyst, marketer or admin role)'
        : problem.detail || problem.title || ('the service answered ' + response.status));
    }
    return accept === 'application/json' ? response.json() : response.text();
  }

  function logout() {
    const url = new URL(endpoint('logout'));
    const params = { client_id: settings.clientId, post_logout_redirect_uri: redirectUri() + '?signed-out' };
    if (tokens && tokens.id) {
      params.id_token_hint = tokens.id;
    }
    url.search = new URLSearchParams(params).toString();
    tokens = null;
    clearTimeout(refreshTimer);
    location.assign(url.toString());
  }

  return { start, api, login, logout, ApiError, user: () => user };
})();
