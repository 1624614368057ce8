/** Signing in and out, one's own password, and who one is. */
import express from 'express';
import { groupsOf } from '../../domain/access.ts';
import { changePasswordInput, currentUser, type createAuth } from '../auth.ts';
import { loginInput } from '../schemas.ts';

type Auth = ReturnType<typeof createAuth>;

/** POST /auth/login: the one route served before a session exists. */
export function signInRoutes(auth: Auth): express.Router {
  const r = express.Router();
  r.post('/auth/login', async (req, res) => {
    const { username, password } = loginInput.parse(req.body);
    const session = await auth.login(req, res, username, password);
    res.json({ user: { ...session.user, groups: groupsOf(session.user) }, csrfToken: session.csrfToken });
  });
  return r;
}

/** The signed-in user's own session and password. */
export function sessionRoutes(auth: Auth): express.Router {
  const r = express.Router();

  r.post('/auth/logout', async (req, res) => {
    await auth.logout(req, res);
    res.status(204).end();
  });

  r.post('/auth/password', async (req, res) => {
    const { currentPassword, newPassword } = changePasswordInput.parse(req.body);
    await auth.changePassword(req, res, currentPassword, newPassword);
    res.status(204).end();
  });

  r.get('/auth/me', (req, res) => {
    const user = currentUser(req);
    res.json({ user: { ...user, groups: groupsOf(user) }, csrfToken: req.csrfToken });
  });

  return r;
}
